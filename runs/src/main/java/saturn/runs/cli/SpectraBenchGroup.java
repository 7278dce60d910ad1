package saturn.runs.cli;

import picocli.CommandLine.Command;

/**
 * {@code saturn bench ...} as the spectra branch registers it: holds {@link BenchSpectraCommand}. When the stages'
 * bench commands are grouped under one {@code bench} command, this class goes.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print one JSON line per case.",
    subcommands = BenchSpectraCommand.class)
public final class SpectraBenchGroup {}
