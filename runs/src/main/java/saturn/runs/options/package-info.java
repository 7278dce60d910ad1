/**
 * The options of each stage, defined once and used twice: by the stage's command ({@code saturn train --batch-size 4})
 * and by the run spec ({@code batch_size: 4} under {@code models: options:}), which is parsed through the same classes
 * ({@link saturn.runs.options.SpecOptions}). Defaults come from the stage specs' builders ({@link
 * saturn.runs.options.SpecDefaults}), so each default is written in one place.
 */
package saturn.runs.options;
