// Package targets holds one sub-package per target API (onkey, onixwork). Each builds requests
// from records, decodes responses and classifies outcomes; the pipeline schedules and records.
package targets
