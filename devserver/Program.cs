Console.WriteLine("devserver");
