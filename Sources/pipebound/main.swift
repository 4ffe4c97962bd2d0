print("pipebound: under construction")
