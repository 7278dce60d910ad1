/** The picocli command line: one class per subcommand; options become immutable configs of the stage APIs. */
package saturn.runs.cli;
