// The PipeCertify target; see Package.swift for its job.
