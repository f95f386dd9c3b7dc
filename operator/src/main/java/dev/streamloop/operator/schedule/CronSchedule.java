package dev.streamloop.operator.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron schedule (as Kubernetes CronJobs take, nicknames such as {@code @hourly}
 * included) in a time zone, through cron-utils. Across daylight-saving changes it follows
 * wall-clock time: a time that does not exist on a spring-forward day does not run that day, a time
 * that occurs twice on a fall-back day runs once.
 */
public final class CronSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> NICKNAMES =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private final ExecutionTime times;
  private final ZoneId zone;

  private CronSchedule(ExecutionTime times, ZoneId zone) {
    this.times = times;
    this.zone = zone;
  }

  /**
   * @param timeZone An IANA zone such as Europe/Berlin; null means UTC (Kubernetes CronJobs use the
   *     controller's zone, which is usually UTC).
   * @throws IllegalArgumentException naming the field and what is wrong.
   */
  public static CronSchedule parse(String expression, String timeZone) {
    Cron cron;
    try {
      cron = PARSER.parse(NICKNAMES.getOrDefault(expression.trim(), expression.trim())).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "spec.trigger.availableNow.schedule: \""
              + expression
              + "\" is not a valid cron"
              + " schedule ("
              + e.getMessage()
              + "); use five fields, such as \"0 * * * *\"",
          e);
    }
    ZoneId zone;
    try {
      zone = timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "spec.trigger.availableNow.timeZone: \""
              + timeZone
              + "\" is not a known time zone;"
              + " use an IANA name such as Europe/Berlin",
          e);
    }
    return new CronSchedule(ExecutionTime.forCron(cron), zone);
  }

  /** The first scheduled time strictly after {@code after}. */
  public Optional<Instant> next(Instant after) {
    return times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
  }

  /** The last scheduled time at or before {@code now}. */
  public Optional<Instant> last(Instant now) {
    ZonedDateTime at = ZonedDateTime.ofInstant(now, zone);
    if (times.isMatch(at.withNano(0)) && at.getSecond() == 0 && at.getNano() == 0) {
      return Optional.of(now);
    }
    return times.lastExecution(at).map(ZonedDateTime::toInstant);
  }
}
