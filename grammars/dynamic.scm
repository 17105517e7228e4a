; patchkit: module- and class-level code that changes what an attribute path resolves to at
; run time, so that static inventory (and a monkey-patch) may not see the real object.

; setattr(Cls, ...), exec(...), type(name, bases, ns), globals()[...] = ...
(call function: (identifier) @dynamic.call.name
  (#any-of? @dynamic.call.name "setattr" "exec" "type" "globals")) @dynamic.call

; Cls.attr = value
(assignment left: (attribute object: (identifier))) @dynamic.attribute

; sys.modules[__name__] = ...
(assignment
  left: (subscript value: (attribute object: (identifier) @dynamic.sysmodules.sys
                                       attribute: (identifier) @dynamic.sysmodules.modules))
  (#eq? @dynamic.sysmodules.sys "sys")
  (#eq? @dynamic.sysmodules.modules "modules")) @dynamic.sysmodules

; __slots__ = (...)
(assignment left: (identifier) @dynamic.slots (#eq? @dynamic.slots "__slots__"))
