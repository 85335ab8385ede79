using BenchmarkDotNet.Running;

if (args is ["footprint", ..])
{
    ProfileGrains.Benchmarks.ProfileFootprint.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ProfileGrains.Benchmarks.SegmentEvaluationBenchmarks).Assembly).Run(args);
