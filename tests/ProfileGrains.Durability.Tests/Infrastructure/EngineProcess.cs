using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Grpc.Net.Client;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Durability.Tests.Infrastructure;

/// <summary>
/// The engine as a real operating-system process (`dotnet ProfileGrains.Host.dll`), so a test can kill it with SIGKILL:
/// no deactivation, no flush, no goodbye to the cluster.
/// </summary>
public sealed class EngineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly GrpcChannel _channel;

    private EngineProcess(Process process, int grpcPort, string logPath)
    {
        _process = process;
        LogPath = logPath;
        Address = new Uri($"http://127.0.0.1:{grpcPort}");
        _channel = GrpcChannel.ForAddress(Address);
        Profiles = new ProfileService.ProfileServiceClient(_channel);
        Diagnostics = new DiagnosticsService.DiagnosticsServiceClient(_channel);
        Segments = new SegmentService.SegmentServiceClient(_channel);
    }

    public Uri Address { get; }

    public string LogPath { get; }

    public ProfileService.ProfileServiceClient Profiles { get; }

    public DiagnosticsService.DiagnosticsServiceClient Diagnostics { get; }

    public SegmentService.SegmentServiceClient Segments { get; }

    public bool HasExited => _process.HasExited;

    public static async Task<EngineProcess> StartAsync(string name, IEnumerable<string> arguments, TimeSpan startTimeout)
    {
        var ports = FreePorts(3);
        var logPath = Path.Combine(Path.GetTempPath(), $"profilegrains-{name}-{Environment.ProcessId}-{ports[0]}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HostAssemblyPath)!,
        };
        start.ArgumentList.Add(HostAssemblyPath);
        foreach (var argument in new[]
        {
            "--ProfileGrains:ListenAddress=127.0.0.1",
            $"--ProfileGrains:GrpcPort={ports[0]}",
            "--ProfileGrains:WebPort=-1",
            $"--ProfileGrains:SiloPort={ports[1]}",
            $"--ProfileGrains:GatewayPort={ports[2]}",
            "--Logging:LogLevel:Default=Warning",
        }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { lock (log) { if (e.Data is not null) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { lock (log) { if (e.Data is not null) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var engine = new EngineProcess(process, ports[0], logPath);
        var deadline = DateTime.UtcNow + startTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"engine {name} exited with {process.ExitCode} while starting; see {logPath}");
            }

            try
            {
                await engine.Diagnostics.EchoAsync(new EchoRequest { Payload = Google.Protobuf.ByteString.CopyFromUtf8("ready?") }, deadline: DateTime.UtcNow.AddSeconds(2));
                return engine;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>SIGKILL: the process dies at once, whatever it was doing.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The host built beside this test project, in the same configuration.</summary>
    private static string HostAssemblyPath { get; } = FindHostAssembly();

    private static string FindHostAssembly()
    {
        var configuration = typeof(EngineProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ProfileGrains.sln")))
            {
                var path = Path.Combine(directory.FullName, "src", "ProfileGrains.Host", "bin", configuration, "net10.0", "ProfileGrains.Host.dll");
                return File.Exists(path) ? path : throw new FileNotFoundException("build the solution first: the engine binary is missing", path);
            }
        }

        throw new DirectoryNotFoundException("ProfileGrains.sln not found above " + AppContext.BaseDirectory);
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }

        try
        {
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
