// The PipeImport target; see Package.swift for its job.
