{{/* The labels of the operator's objects (as manifests/operator's, plus kustomize's part-of). */}}
{{- define "streamloop.operatorLabels" -}}
app.kubernetes.io/name: streamloop-operator
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: streamloop
{{- end }}
