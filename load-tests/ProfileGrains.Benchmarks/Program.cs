using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ProfileGrains.Benchmarks.SegmentEvaluationBenchmarks).Assembly).Run(args);
