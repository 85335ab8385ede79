using ProfileGrains.Cli;

return await CliCommands.Build().Parse(args).InvokeAsync();
