//go:build tools

// Package tools pins Helm's command for e2e/tools/build-helm.sh (no Go code of ours is built).
package tools

import _ "helm.sh/helm/v4/cmd/helm"
