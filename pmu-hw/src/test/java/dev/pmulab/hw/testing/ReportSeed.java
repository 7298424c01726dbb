package dev.pmulab.hw.testing;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * Names the seed of a failing {@link SeededRandom} case, and the command that runs that case
 * alone, in the failure's message (the original failure stays its cause). Register it on a class
 * whose {@code @ParameterizedTest}s take a {@code SeededRandom}.
 */
public final class ReportSeed implements InvocationInterceptor {
    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        try {
            invocation.proceed();
        } catch (TestAbortedException | VirtualMachineError passThrough) {
            throw passThrough;
        } catch (Throwable failure) {
            Optional<SeededRandom> random = call.getArguments().stream()
                    .filter(SeededRandom.class::isInstance)
                    .map(SeededRandom.class::cast)
                    .findFirst();
            if (random.isEmpty()) {
                throw failure;
            }
            throw new AssertionError(
                    replayMessage(random.get(), call.getTargetClass(), call.getExecutable()) + "\n" + failure, failure);
        }
    }

    static String replayMessage(SeededRandom random, Class<?> testClass, Method test) {
        // Surefire runs tests in the module's directory and sets basedir to it.
        String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
        String module = Path.of(basedir).getFileName().toString();
        return String.format(
                "%s#%s failed for %s. Replay this case alone with:%n"
                        + "  mvn -o -B test -pl %s -Dtest='%s#%s' -D%s=%s",
                testClass.getSimpleName(),
                test.getName(),
                random,
                module,
                testClass.getSimpleName(),
                test.getName(),
                SeededRandom.SEED_PROPERTY,
                random.seedText());
    }
}
