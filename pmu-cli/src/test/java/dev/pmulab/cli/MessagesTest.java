package dev.pmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class MessagesTest {
    @Test
    void shortTokensStayWholeAndLongOnesAreCutWithACount() {
        assertThat(Messages.cut("unknown policy 'x'; known: a, b")).isEqualTo("unknown policy 'x'; known: a, b");
        String token = "'" + "a".repeat(200) + "'";
        // The token runs to the next blank: 202 characters and the ';', 203; the first 60 stay, 143 are counted.
        assertThat(Messages.cut("unknown policy " + token + "; known: a"))
                .isEqualTo("unknown policy '" + "a".repeat(59) + "...[143 more characters] known: a");
        assertThat(Messages.cut("x".repeat(Messages.MAX_TOKEN))).hasSize(Messages.MAX_TOKEN);
    }

    @Test
    void controlCharactersCannotDriveTheTerminal() {
        assertThat(Messages.cut("name \u001b[2Jcleared\r over")).isEqualTo("name ?[2Jcleared  over");
        assertThat(Messages.cut("two\nlines\tand a tab")).isEqualTo("two\nlines\tand a tab");
    }

    @Test
    void aCutNeverSplitsACharacterInTwo() {
        String token = "a".repeat(59) + "\ud83d\ude00" + "b".repeat(100);
        String cut = Messages.cut(token);
        assertThat(cut).startsWith("a".repeat(59) + "...[");
        assertThat(Messages.cut(null)).isEqualTo("null");
    }

    @Test
    void aLongPathKeepsItsFileNameAndLocation() {
        String dir = "/home/" + "d".repeat(150);
        // 6 + 150 characters of directory, then "/flagship.yaml:9:45:" (20): the first 60 stay,
        // the last segment from its '/' stays, the 96 between are counted.
        assertThat(Messages.cut(dir + "/flagship.yaml:9:45: vms[0].workload.threads: must be at least 1"))
                .isEqualTo("/home/" + "d".repeat(54) + "...[96 more characters]/flagship.yaml:9:45:"
                        + " vms[0].workload.threads: must be at least 1");
        // No '/' near the end: only the :line:column suffix is kept.
        assertThat(Messages.cut("f".repeat(200) + ".yaml:12:3:"))
                .isEqualTo("f".repeat(60) + "...[145 more characters]:12:3:");
        assertThat(Messages.cut("f".repeat(200) + ":7")).isEqualTo("f".repeat(60) + "...[140 more characters]:7");
        // A long last segment or a long run of digits is not kept: a cut message stays short.
        assertThat(Messages.cut("/x/" + "y".repeat(200)))
                .isEqualTo("/x/" + "y".repeat(57) + "...[143 more characters]");
        assertThat(Messages.cut("z".repeat(100) + ":" + "9".repeat(100)))
                .isEqualTo("z".repeat(60) + "...[141 more characters]");
    }
}
