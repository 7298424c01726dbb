package dev.pmulab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void sparkRuns() {
        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName("smoke")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        long t0 = System.nanoTime();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            long t1 = System.nanoTime();
            List<Integer> out = sc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> x * 2).collect();
            assertThat(out).containsExactly(2, 4, 6, 8);
            System.err.println("start " + (t1 - t0) / 1_000_000 + " ms, job " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        }
    }
}
