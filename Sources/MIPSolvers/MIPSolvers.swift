// The MIPSolvers target; see Package.swift for its job.
