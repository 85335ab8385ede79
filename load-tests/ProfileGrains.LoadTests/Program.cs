Console.WriteLine("ProfileGrains load tests: under construction");
