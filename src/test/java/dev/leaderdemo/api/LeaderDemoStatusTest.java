package dev.leaderdemo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whether a status must be written is decided by equality: a field that took no part in it would
 * silently never be written. These tests go over every property Jackson writes, so a field added
 * later is covered without touching them.
 */
class LeaderDemoStatusTest {

  private static final ObjectMapper MAPPER = Serialization.jsonMapper();

  static Stream<String> properties() {
    return properties(LeaderDemoStatus.class).stream().map(BeanPropertyDefinition::getName);
  }

  private static List<BeanPropertyDefinition> properties(Class<?> type) {
    JavaType javaType = MAPPER.constructType(type);
    BeanDescription description = MAPPER.getSerializationConfig().introspect(javaType);
    return description.findProperties();
  }

  /** A value of the property's type that no fresh status has. */
  private static Object sample(BeanPropertyDefinition property) {
    Class<?> type = property.getRawPrimaryType();
    if (type == String.class) {
      return "x";
    }
    if (type == Integer.class || type == int.class) {
      return 7;
    }
    if (type == Long.class || type == long.class) {
      return 7L;
    }
    if (type == Boolean.class || type == boolean.class) {
      return true;
    }
    if (List.class.isAssignableFrom(type)
        && property.getPrimaryType().getContentType().getRawClass() == Failover.class) {
      return List.of(new Failover("b", "a", "2026-12-01T10:00:00.000000Z", "31ms", "Released"));
    }
    if (List.class.isAssignableFrom(type)) {
      return List.of(
          new ConditionBuilder().withType("Ready").withStatus("True").withReason("R").build());
    }
    throw new AssertionError(
        "no sample value for status property "
            + property.getName()
            + " of type "
            + type
            + ": add one here");
  }

  private static LeaderDemoStatus with(String name) {
    BeanPropertyDefinition property =
        properties(LeaderDemoStatus.class).stream()
            .filter(p -> p.getName().equals(name))
            .findFirst()
            .orElseThrow();
    LeaderDemoStatus status = new LeaderDemoStatus();
    property.getSetter().setValue(status, sample(property));
    return status;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("properties")
  void everyPropertyTakesPartInEquality(String property) {
    LeaderDemoStatus changed = with(property);
    assertThat(changed).isNotEqualTo(new LeaderDemoStatus());
    assertThat(changed).isEqualTo(with(property)).hasSameHashCodeAs(with(property));
    assertThat(changed.toString()).contains(property);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("properties")
  void aCopyKeepsEveryPropertyAndSharesNothing(String property) {
    LeaderDemoStatus original = with(property);
    LeaderDemoStatus copy = original.copy();
    assertThat(copy).isEqualTo(original).isNotSameAs(original);
    assertThat(copy.getConditions()).isNotSameAs(original.getConditions());
  }

  /** What a field added to the type later looks like: nothing but the field and its accessors. */
  static class StatusWithANewField extends LeaderDemoStatus {
    private String lastFailover;

    public String getLastFailover() {
      return lastFailover;
    }

    public void setLastFailover(String lastFailover) {
      this.lastFailover = lastFailover;
    }
  }

  @Test
  void aNewFieldIsPartOfEqualityAndCopyWithNoMoreCode() {
    StatusWithANewField before = new StatusWithANewField();
    StatusWithANewField after = new StatusWithANewField();
    after.setLastFailover("1.2s");

    assertThat(after).isNotEqualTo(before);
    assertThat(((StatusWithANewField) after.copy()).getLastFailover()).isEqualTo("1.2s");
    assertThat(after.toString()).contains("\"lastFailover\":\"1.2s\"");
  }

  @Test
  void aStatusIsNotEqualToAnotherType() {
    assertThat(new LeaderDemoStatus()).isNotEqualTo(new StatusWithANewField()).isNotEqualTo(null);
  }
}
