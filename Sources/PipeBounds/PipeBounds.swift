// The PipeBounds target; see Package.swift for its job.
