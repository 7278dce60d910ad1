/** Pipeline specs: YAML read with line numbers into an immutable {@link saturn.runs.spec.RunSpec}. */
package saturn.runs.spec;
