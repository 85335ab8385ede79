using ProfileGrains.Host;

var app = ProfileGrainsHost.Build(args);
await app.RunAsync();
