"""perfsite: published performance reports of councils and local partnerships, as static websites.

The build is one pipeline, each stage a module:

    load      read site.yaml, the data package and the Markdown content   (load.py)
    validate  data-quality rules, with Frictionless                        (quality/)
    model     typed domain objects from the checked tables                 (model.py)
    assess    status, direction, exceptions, intervention, forecasts       (assess.py, rules.py)
    render    pages, charts, API and downloads as bytes                    (render.py, charts.py, ...)
    write     swap the new site into the output folder whole               (write.py)
"""

__version__ = "0.1.0"
