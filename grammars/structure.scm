; patchkit: the statement structure of a Python module, captured in one pass.
; The scanner sorts captures by position and rebuilds containment with a stack, so each
; definition learns its enclosing classes (qualname), functions (not reachable: skipped)
; and control flow (branch context). Capture names are the scanner's vocabulary: keep
; src/scan/extract.ts in step when editing.
;
; One capture per pattern where no predicate needs two: node tree-sitter hands over every
; capture of a match once per capture it returns, so a pattern with five captures costs
; twenty-five nodes, this form five. Patterns that share a shape match the same nodes.
; No pattern is rooted at `module` or `block` (src/scan/gather.ts splits a gap there).

; --- definitions ---------------------------------------------------------------
(function_definition
  name: (identifier) parameters: (parameters) body: (block)) @function
(function_definition
  name: (identifier) @function.name parameters: (parameters) body: (block))
(function_definition
  name: (identifier) parameters: (parameters) @function.parameters body: (block))
(function_definition
  name: (identifier) parameters: (parameters) return_type: (_) @function.return_type body: (block))
(function_definition
  name: (identifier) parameters: (parameters) body: (block) @function.body)

(class_definition name: (identifier) body: (block)) @class
(class_definition name: (identifier) @class.name body: (block))
(class_definition name: (identifier) superclasses: (argument_list) @class.superclasses body: (block))

(decorated_definition) @decorated
(decorator) @decorator

; Scopes that are not definitions but own their yields.
(lambda) @lambda
(yield) @yield

; --- control flow that can hold module- and class-level definitions ------------
(if_statement condition: (_)) @if
(if_statement condition: (_) @if.condition)
(if_statement consequence: (block) @if.then)
(elif_clause condition: (_)) @elif
(elif_clause condition: (_) @elif.condition)
(if_statement alternative: (else_clause body: (block) @if.else))

(try_statement body: (block) @try.body)
(except_clause (block)) @except
(except_clause (block) @except.body)
(try_statement (else_clause body: (block) @try.else))
(finally_clause (block) @finally.body)

(with_statement body: (block) @with.body)
(for_statement body: (block) @loop.body)
(for_statement alternative: (else_clause body: (block) @loop.else))
(while_statement body: (block) @loop.body)
(while_statement alternative: (else_clause body: (block) @loop.else))
(case_clause consequence: (block) @case.body)

; --- imports ---------------------------------------------------------------------
(import_statement) @import
(import_from_statement) @import
(future_import_statement) @import.future

; --- syntax errors: recorded as diagnostics; definitions inside are still captured above.
; A MISSING node is a token tree-sitter inserted to repair the file (`def f(:` gets a MISSING ")"):
; no ERROR node is left, but CPython refuses the file all the same.
(ERROR) @error
(MISSING) @error
