// The MIPGLPK target; see Package.swift for its job.
