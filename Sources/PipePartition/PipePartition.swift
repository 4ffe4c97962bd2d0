// The PipePartition target; see Package.swift for its job.
