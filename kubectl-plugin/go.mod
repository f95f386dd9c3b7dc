module dev.streamloop/kubectl-streamloop

go 1.25.0
