from humaine.core import progress
from humaine.core.jobs import job

from .models import Remark


@job
def count_words(progress_id: int, inquiry_id: int) -> None:
    with progress.tracking(progress_id) as report:
        texts = list(Remark.objects.filter(inquiry_id=inquiry_id).values_list("text", flat=True))
        report.start(total=len(texts))
        for text in texts:
            report.advance(1, words=len(text.split()))
