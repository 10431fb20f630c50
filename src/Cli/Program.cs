using System.CommandLine;
using LeanMlirVerify.Cli;

var root = new RootCommand("lmv: backpropagation as one operation (the VJP), checked three ways and used to train the book's models.");
foreach (var command in Commands.All()) root.Subcommands.Add(command);
return root.Parse(args).Invoke();
