package saturn.runs.watch;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.ZonedDateTime;
import saturn.runs.spec.Durations;

/** When the next watch pass is due: a fixed interval ({@code --every 6h}) or a Unix cron expression (cron-utils). */
public final class Schedule {
  private final Duration every;
  private final ExecutionTime cron;
  private final String text;

  private Schedule(Duration every, ExecutionTime cron, String text) {
    this.every = every;
    this.cron = cron;
    this.text = text;
  }

  public static Schedule every(String duration) {
    return new Schedule(Durations.parseDuration(duration), null, "every " + duration);
  }

  /** A five-field Unix cron expression, e.g. {@code 0 3 * * *} (03:00 every day, local time). */
  public static Schedule cron(String expression) {
    try {
      var parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
      var c = parser.parse(expression);
      c.validate();
      return new Schedule(null, ExecutionTime.forCron(c), "cron '" + expression + "'");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--cron '" + expression + "' is not a Unix cron expression (" + e.getMessage()
          + "); write five fields: minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\"");
    }
  }

  /** The next time a pass is due after {@code after} (which is when the last one started). */
  public ZonedDateTime next(ZonedDateTime after) {
    if (every != null) return after.plus(every);
    return cron.nextExecution(after).orElseThrow(() -> new IllegalArgumentException(text + " never fires again"));
  }

  @Override
  public String toString() {
    return text;
  }
}
