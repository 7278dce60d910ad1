/** Plans and their execution: stages as pure functions of artifacts, run in parallel within a memory budget. */
package saturn.runs.plan;
