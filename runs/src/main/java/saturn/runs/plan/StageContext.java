package saturn.runs.plan;

import java.util.function.Consumer;

/**
 * What the runner grants a running stage.
 *
 * @param threads threads the stage may use (the machine's cores shared among concurrent stages)
 * @param memoryBytes memory set aside for it within the run's budget
 * @param log progress lines, printed with the stage's label
 */
public record StageContext(int threads, long memoryBytes, Consumer<String> log) {}
