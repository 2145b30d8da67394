"""The generic registry: one list/detail/create/edit/import/export mechanism for every registry model.

- ``forms``: the scoped ModelForm base, Vietnamese decimals and dates, the API's bound form;
- ``services``: the generic write service (``save_form``, ``delete_object``) behind every registry save;
- ``tabular``: CSV/XLSX reading, writing and all-or-nothing row imports through a form and a service;
- ``views``: the declarations (``Registry``, ``Column``, ``Filter``) and the pages they serve;
- ``api``: the REST routes a ``Registry`` adds to an app's router.

Services import forms and tabular, never views.
"""
