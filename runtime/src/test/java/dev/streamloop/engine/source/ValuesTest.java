package dev.streamloop.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A value that does not fit its column is a bad record, under Spark 4's ANSI rules, never a wrapped
 * or out-of-range value that corrupts what comes after (the reliability probe's B-15 to B-18).
 */
class ValuesTest {
  private static Object[] json(String line, Column... columns) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return new JsonRecordParser(List.of(columns)).parse(bytes, 0, bytes.length);
  }

  @Test
  void jsonIntegersBeyond64BitsAreBadRecordsNotWrappedValues() {
    Column i = new Column("i", ColumnKind.INT);
    Column l = new Column("l", ColumnKind.LONG);
    Column ts = new Column("ts", ColumnKind.TIMESTAMP);
    // 18446744073709551621 wrapped to 5 in an int column before
    assertThatThrownBy(() -> json("{\"i\":18446744073709551621}", i))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beyond 64 bits does not fit a column of type int")
        .hasMessageNotContaining("18446744073709551621");
    assertThatThrownBy(() -> json("{\"l\":-18446744073709551617}", l))
        .hasMessageContaining("beyond 64 bits does not fit a column of type long");
    assertThatThrownBy(() -> json("{\"ts\":18446744073709551617}", ts))
        .hasMessageContaining("beyond 64 bits does not fit a column of type timestamp");
    assertThat(json("{\"l\":9223372036854775807}", l)).containsExactly(Long.MAX_VALUE);
  }

  @Test
  void timestampsAndDatesOutsideYears1To9999AreBadRecords() {
    // one event time near Long.MIN_VALUE moved the watermark to the year 292 million before
    assertThatThrownBy(() -> Values.fromNumber(-9223372036854775000L, true, ColumnKind.TIMESTAMP))
        .hasMessageContaining("outside the supported timestamps (years 1 to 9999");
    assertThatThrownBy(() -> Values.fromText("-0001-01-01T00:00:00Z", ColumnKind.TIMESTAMP))
        .hasMessageContaining("outside the supported timestamps");
    assertThatThrownBy(() -> Values.fromText("+10000-01-01", ColumnKind.DATE))
        .hasMessageContaining("outside the supported dates");
    assertThat(Values.fromText("9999-12-31T23:59:59.999Z", ColumnKind.TIMESTAMP))
        .isEqualTo(Values.MAX_TIMESTAMP_MS);
    assertThat(Values.fromText("0001-01-01T00:00:00Z", ColumnKind.TIMESTAMP))
        .isEqualTo(Values.MIN_TIMESTAMP_MS);
  }

  @Test
  void aTimestampThatDoesNotParseListsTheAcceptedForms() {
    assertThatThrownBy(() -> Values.fromText("2023-11-14T22:13:20", ColumnKind.TIMESTAMP))
        .hasMessageContaining("a text of 19 characters is not a valid timestamp")
        .hasMessageContaining("accepted: epoch milliseconds, or ISO-8601 with a zone");
  }

  @Test
  void decimalsBeyond38DigitsBeforeThePointAreBadRecords() {
    // 1E+999999999 was accepted, then failed every batch that computed with it
    assertThatThrownBy(() -> Values.fromText("1E+999999999", ColumnKind.DECIMAL))
        .hasMessageContaining("digits before the point does not fit a decimal (at most 38)");
    assertThat(Values.fromText("12345678901234567890123456789012345678.5", ColumnKind.DECIMAL))
        .isNotNull();
  }
}
