{{/* Name of the chart, or nameOverride. */}}
{{- define "gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified name: release-name, unless fullnameOverride. */}}
{{- define "gateway.fullname" -}}
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

{{- define "gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "gateway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with the environment's secrets: the chart's, or the one given. */}}
{{- define "gateway.secretName" -}}
{{- default (include "gateway.fullname" .) .Values.secret.existingSecret }}
{{- end }}

{{/* REDIS_URL the chart writes into its Secret, or "" when it writes none. */}}
{{- define "gateway.redisUrl" -}}
{{- if .Values.redis.enabled }}
{{- $password := required "redis.auth.password is required with redis.enabled" .Values.redis.auth.password }}
{{- printf "redis://:%s@%s-redis-master:6379/0" (urlquery $password) .Release.Name }}
{{- else if and .Values.externalRedis.url (not .Values.externalRedis.existingSecret) }}
{{- .Values.externalRedis.url }}
{{- end }}
{{- end }}
