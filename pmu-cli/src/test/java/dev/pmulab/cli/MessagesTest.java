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
}
