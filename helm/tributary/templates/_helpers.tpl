{{/* Chart name, possibly overridden. */}}
{{- define "tributary.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name prefix of every resource. */}}
{{- define "tributary.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tributary.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels shared by every resource. */}}
{{- define "tributary.labels" -}}
helm.sh/chart: {{ include "tributary.chart" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "tributary.name" . }}
{{- end }}

{{/* Selector labels of the brokers. */}}
{{- define "tributary.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tributary.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: broker
{{- end }}

{{/* Selector labels of the ZooKeeper ensemble. */}}
{{- define "tributary.zookeeper.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tributary.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: zookeeper
{{- end }}

{{- define "tributary.headlessService" -}}
{{- printf "%s-headless" (include "tributary.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tributary.zookeeper.fullname" -}}
{{- printf "%s-zookeeper" (include "tributary.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tributary.zookeeper.headlessService" -}}
{{- printf "%s-zookeeper-headless" (include "tributary.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tributary.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tributary.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "tributary.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The ZooKeeper connect string the brokers use: the chart's ensemble, or an external one. */}}
{{- define "tributary.zookeeper.connect" -}}
{{- if .Values.zookeeper.enabled }}
{{- $fullname := include "tributary.zookeeper.fullname" . }}
{{- $headless := include "tributary.zookeeper.headlessService" . }}
{{- $hosts := list }}
{{- range $i := until (int .Values.zookeeper.replicaCount) }}
{{- $hosts = append $hosts (printf "%s-%d.%s.%s.svc.%s:2181" $fullname $i $headless $.Release.Namespace $.Values.clusterDomain) }}
{{- end }}
{{- join "," $hosts }}
{{- else }}
{{- required "zookeeper.external.connect is required when zookeeper.enabled is false" .Values.zookeeper.external.connect }}
{{- end }}
{{- end }}

{{/* The ZooKeeper ensemble's server list, ZOO_SERVERS format. */}}
{{- define "tributary.zookeeper.servers" -}}
{{- $fullname := include "tributary.zookeeper.fullname" . }}
{{- $headless := include "tributary.zookeeper.headlessService" . }}
{{- $servers := list }}
{{- range $i := until (int .Values.zookeeper.replicaCount) }}
{{- $servers = append $servers (printf "server.%d=%s-%d.%s.%s.svc.%s:2888:3888;2181" (add1 $i) $fullname $i $headless $.Release.Namespace $.Values.clusterDomain) }}
{{- end }}
{{- join " " $servers }}
{{- end }}
