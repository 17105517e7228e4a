; patchkit: places where a bare name is captured by value when the enclosing code runs.
; At module or class level these keep the original object even after a patch replaces
; the module attribute (registries, defaults, partials, aliases). Inside function bodies
; they run at call time and are discarded by the scanner.

(call arguments: (argument_list (identifier) @ref.argument))
(keyword_argument value: (identifier) @ref.argument)
(pair value: (identifier) @ref.container)
(list (identifier) @ref.container)
(set (identifier) @ref.container)
(tuple (identifier) @ref.container)
(assignment right: (identifier) @ref.assignment)
(default_parameter value: (identifier) @ref.default)
(typed_default_parameter value: (identifier) @ref.default)
