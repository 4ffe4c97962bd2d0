print("pipebound-bench: under construction")
