// Package lang holds the ormc language specification; its tests keep the spec and the parser in step.
package lang
