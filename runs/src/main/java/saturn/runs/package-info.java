/** Whole pipelines: a spec becomes a plan of stages, run against the artifact store and recorded in the registry. */
package saturn.runs;
