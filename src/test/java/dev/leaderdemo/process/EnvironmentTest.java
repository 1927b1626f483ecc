package dev.leaderdemo.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

  private static final Duration FALLBACK = Duration.ofSeconds(7);

  @Test
  void blankIsUnsetAndValuesAreTrimmed() {
    Environment env = new Environment(Map.of("A", "  ", "B", " b "));
    assertThat(env.string("A")).isEmpty();
    assertThat(env.string("A", "x")).isEqualTo("x");
    assertThat(env.first("A", "B")).contains("b");
    assertThat(env.bool("A", true)).isTrue();
    assertThat(env.seconds("A", FALLBACK)).isEqualTo(FALLBACK);
    assertThat(env.duration("A", FALLBACK)).isEqualTo(FALLBACK);
    assertThat(env.port("A", 8080)).isEqualTo(8080);
  }

  @Test
  void booleansAreTrueOrFalseOnly() {
    assertThat(new Environment(Map.of("B", "TRUE")).bool("B", false)).isTrue();
    assertThat(new Environment(Map.of("B", "false")).bool("B", true)).isFalse();
    for (String value : new String[] {"yes", "1", "on", "y"}) {
      assertThatThrownBy(() -> new Environment(Map.of("B", value)).bool("B", true))
          .hasMessage("B must be true or false, got '" + value + "'");
    }
  }

  @Test
  void durationsTakeSecondsOrMilliseconds() {
    assertThat(new Environment(Map.of("D", "15")).duration("D", FALLBACK))
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(new Environment(Map.of("D", "1.5s")).duration("D", FALLBACK))
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(new Environment(Map.of("D", "250ms")).duration("D", FALLBACK))
        .isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> new Environment(Map.of("D", "-1s")).duration("D", FALLBACK))
        .hasMessage("D must be a positive duration, got '-1s'");
    assertThatThrownBy(() -> new Environment(Map.of("D", "1e300")).duration("D", FALLBACK))
        .hasMessage("D must be a duration such as 15, 15s or 1500ms, got '1e300'");
  }

  @Test
  void wholeNumbersMustFitTheirRange() {
    assertThat(new Environment(Map.of("S", "3")).seconds("S", FALLBACK))
        .isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> new Environment(Map.of("S", "1.5")).seconds("S", FALLBACK))
        .hasMessage("S must be a whole number of seconds, at least 1, got '1.5'");
    assertThatThrownBy(() -> new Environment(Map.of("S", "2147483648")).seconds("S", FALLBACK))
        .hasMessage("S must be a whole number of seconds, at least 1, got '2147483648'");
    assertThatThrownBy(() -> new Environment(Map.of("N", "11")).integer("N", 1, 1, 10))
        .hasMessage("N must be a whole number from 1 to 10, got '11'");
    assertThatThrownBy(() -> new Environment(Map.of("P", "-1")).port("P", 1))
        .hasMessage("P must be a port number from 0 to 65535, got '-1'");
  }
}
