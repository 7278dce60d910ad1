/**
 * The one contract every saturn stage follows: an immutable, validated {@link saturn.stage.StageSpec} names the work
 * and its input artifacts; the {@link saturn.stage.Stage} opens and checks those inputs itself, reports through one
 * {@link saturn.stage.StageListener} and publishes one artifact whose id (a hash of the spec and of the inputs' ids
 * and contents) is the only cache key. The CLI and the pipeline runner both call stages through it.
 */
package saturn.stage;
