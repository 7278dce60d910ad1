/** The run registry: runs, stages, artifacts, timings, errors and metrics in SQLite inside the workspace. */
package saturn.runs.registry;
