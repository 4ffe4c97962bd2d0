// The MIPCBC target; see Package.swift for its job.
