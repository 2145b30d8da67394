"""Rebuild or verify the consolidation rollup (pre-aggregated approved, and approved + submitted, values per
standard window)."""

from django.core.management.base import BaseCommand, CommandError

from borderdesk.core.periods import BASE_RULES
from borderdesk.org.models import AdministrativeUnit
from borderdesk.reporting import aggregation, rollup
from borderdesk.reporting.models import FormVersion, Indicator, ReportForm, Submission
from borderdesk.reporting.window import root_paths


class Command(BaseCommand):
    help = "Tính lại (--rebuild) hoặc đối chiếu (--verify) bảng tổng hợp sẵn số liệu đã duyệt."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="tính lại toàn bộ từ các báo cáo đã duyệt và đã gửi")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="so sánh tổng hợp qua bảng tổng hợp sẵn với tổng hợp trực tiếp từ số liệu",
        )
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            default=None,
            help="với --verify: chỉ đối chiếu năm này (có thể lặp lại); mặc định mọi năm có báo cáo đã duyệt, đã gửi",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="--rebuild as a background job (run by `borderdesk worker`); prints the job's id",
        )

    def handle(self, *args, rebuild=False, verify=False, background=False, year=None, **opts):
        if not (rebuild or verify):
            raise CommandError("Chọn --rebuild hoặc --verify.")
        if rebuild and background:
            from borderdesk.jobs import services as jobs
            from borderdesk.reporting.jobs import ROLLUP_REBUILD

            job = jobs.submit(user=None, kind_code=ROLLUP_REBUILD, title="Tính lại số liệu tổng hợp sẵn")
            self.stdout.write(
                f"Đã xếp hàng công việc {job.pk} ({job.get_status_display()}); "
                "xem tiến độ tại /cong-viec/ hoặc GET /api/jobs/{id}."
            )
            rebuild = False
        if rebuild:
            counts = rollup.rebuild()
            self.stdout.write(f"Đã tính lại: {counts['members']} báo cáo-kỳ, {counts['values']} dòng tổng hợp.")
        if verify:
            counted = Submission.objects.filter(status__in=["approved", "submitted"])
            years = sorted({d.year for d in counted.dates("period_end", "year")})
            if year:
                years = [y for y in years if y in set(year)]
            rules = sorted(
                {rollup.rule_of(spec) for spec in FormVersion.objects.values_list("period_spec", flat=True)}
                & set(BASE_RULES)
            )
            units = list(AdministrativeUnit.objects.filter(kind__in=["country", "province", "district"]))
            # read once for the hundreds of windows checked below
            indicators = {i.pk: i for i in Indicator.objects.all()}
            paths = {u.pk: root_paths(u) for u in units}
            problems, checked = [], 0
            for year in years:
                near = counted.filter(period_end__year__in=[year, year + 1])
                form_ids = set(near.values_list("form_id", flat=True))
                forms = [None, *ReportForm.objects.filter(pk__in=form_ids)]
                # both scopes: approved only, and with the submitted values (the roll-up's 's' rows) where any
                scopes = [False, True] if near.filter(status="submitted").exists() else [False]
                for rule in rules:
                    for period in rollup.bucket_periods(year, rule):
                        # the longer windows for every unit, quarters down to the provinces, months the country
                        keep = {"quarter": ("country", "province"), "month": ("country",)}.get(period.kind)
                        for unit in [u for u in units if u.kind in keep] if keep else units:
                            for form in forms:
                                for include_submitted in scopes:
                                    problems += aggregation.rollup_differences(
                                        unit=unit,
                                        period=period,
                                        form=form,
                                        include_submitted=include_submitted,
                                        indicators=indicators,
                                        paths=paths[unit.pk],
                                    )
                                    checked += 1
            for p in problems:
                self.stderr.write(p)
            self.stdout.write(f"Đã đối chiếu {checked} phép tổng hợp: {len(problems)} sai lệch.")
            if problems:
                raise CommandError("Bảng tổng hợp sẵn lệch với số liệu; chạy lại với --rebuild.")
