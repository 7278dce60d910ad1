/** Plan nodes around the stage modules' APIs: spec options become their immutable configs; metrics come from their artifacts. */
package saturn.runs.stages;
