"""The one gate between the element tree and the page text: rendered output is never a template.

branca renders each element's ``header``/``html``/``script`` macro and wraps the result in a
new :class:`branca.element.Element`, whose constructor compiles that text as a Jinja
template again. Anything data-derived inside a macro's output (a summary, a province name,
a title) would be evaluated on that second pass: ``{{ 6*7 }}`` became ``42`` and a crafted
summary could run code while ``geo build`` ran. Escaping field by field misses the next
field, so the fix is structural:

- :class:`LiteralMacro` replaces :meth:`MacroElement.render` in the method resolution order
  of every element on the map; it wraps each macro's output in :class:`LiteralText`, which
  is emitted as it is and never compiled.
- :func:`seal` walks the whole tree before rendering and gives every element that class
  (folium's own classes included, by deriving a sealed subclass on the fly), and turns plain
  ``Element("...")`` text nodes into :class:`LiteralText`. :func:`geo.render.html.to_html` calls it,
  so no page is written without it, whatever a future layer adds.

JSON embedded in the page additionally never contains ``{{``, ``{%`` or ``{#`` (see
:func:`geo.render._util.script_json`), so even a template pass would find nothing to run.
"""

from __future__ import annotations

from typing import Any

from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement

_PARTS = ("header", "html", "script")


class LiteralText(Element):
    """Text that goes into the page exactly as given: never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "LiteralText"
        self.text = str(text)

    def render(self, **kwargs: Any) -> str:
        return self.text


class LiteralMacro(MacroElement):
    """Mixin: render the macros once, keep their output literal.

    Same contract as :meth:`branca.element.MacroElement.render` (each macro's output is
    added to the figure's header, html or script section under the element's name, then
    the children render), minus the second template compilation.
    """

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = f"{type(self).__name__} must be on a map (a branca Figure) to render"
            raise TypeError(msg)
        module = self._template.module.__dict__
        for part in _PARTS:
            macro = module.get(part)
            if macro is not None:
                text = macro(self, kwargs)
                getattr(figure, part).add_child(LiteralText(text), name=self.get_name())
        for element in list(self._children.values()):
            element.render(**kwargs)
        return ""  # the output went into the figure's sections


_SEALED: dict[type, type] = {}


def sealed_class(cls: type) -> type:
    """``cls`` with :class:`LiteralMacro` ahead of :class:`MacroElement` in its MRO."""
    if issubclass(cls, LiteralMacro):
        return cls
    if cls not in _SEALED:
        _SEALED[cls] = type(cls.__name__, (cls, LiteralMacro), {"__module__": cls.__module__})
    return _SEALED[cls]


def _walk(element: Element) -> list[Element]:
    out, stack = [], [element]
    while stack:
        el = stack.pop()
        out.append(el)
        stack.extend(reversed(list(el._children.values())))
        if isinstance(el, Figure):
            stack.extend(getattr(el, part) for part in _PARTS)
    return out


def seal(root: Element) -> Element:
    """Make every element under ``root`` render its output literally; returns ``root``.

    Idempotent. Plain :class:`~branca.element.Element` nodes built from a text (a meta tag,
    a style block) become :class:`LiteralText` with the same text; elements with their own
    ``render`` that are not macro elements are left alone only when they are branca's
    containers (:class:`~branca.element.Figure` and its sections) or already literal.
    """
    for el in _walk(root):
        if isinstance(el, MacroElement):
            el.__class__ = sealed_class(type(el))
        for name, child in list(el._children.items()):
            if type(child) is Element and child._template_str is not None:
                literal = LiteralText(child._template_str)
                literal._parent = el
                el._children[name] = literal
    unsafe = [el for el in _walk(root) if not _is_safe(el)]
    if unsafe:  # a kind of element this module does not know: refuse rather than guess
        kinds = sorted({type(el).__qualname__ for el in unsafe})
        msg = f"cannot render {kinds} safely; teach geo.render._safe.seal about them"
        raise TypeError(msg)
    return root


def _is_safe(el: Element) -> bool:
    if isinstance(el, LiteralMacro | LiteralText | Figure):
        return True
    if type(el) in (CssLink, JavascriptLink):
        # the stylesheet and script links a folium map adds to its header when it first
        # renders (so a second rendering meets them): a fixed URL, compiled once
        return isinstance(getattr(el, "url", None), str)
    # branca's plain containers: the default template renders the children, nothing else
    return type(el) is Element and el._template_str is None and el._template_name is None
