"""Pictures: validate by decoding, keep only the pixels, re-encode a large size and a thumbnail.

Plain functions, no Flask and no database. The decisions:
- Only JPEG, PNG, GIF and WebP are opened, and Pillow is told so: SVG, HTML, BMP, TIFF, PDF or
  anything else is refused (415) whatever its name or declared type.
- The declared size is checked before a single pixel is decoded: at most 40 megapixels and
  10,000 px a side (422). WebP's size is read from its header first, because Pillow's WebP
  decoder allocates its canvas as soon as the file is opened.
- Animated GIF/PNG/WebP become a still of their first frame. Files with more than 500 frames
  are refused (422); GIF frames are counted by walking the blocks, never by decoding.
- Everything is decoded and encoded anew: JPEG for opaque pictures, WebP (which keeps alpha)
  for transparent ones. EXIF orientation is applied to the pixels, colours are converted to
  sRGB, and nothing else survives: no EXIF/GPS, ICC, XMP, comments or trailing bytes.
"""

import contextlib
import ctypes
import ctypes.util
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from .. import limits

FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
MAX_BYTES = limits.UPLOAD_BYTES
MAX_PIXELS = 40_000_000
MAX_SIDE = 10_000
MAX_FRAMES = 500
LARGE_SIDE = 1600
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 85
WEBP_QUALITY = 85

# Pillow warns above 89 MP and refuses above 179 MP; our own limit is lower, so its warning
# only ever concerns a picture we refuse anyway: make it an exception everywhere, not a log line.
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def hand_back_freed_pixels():
    """Have glibc map every allocation of 1 MiB or more, and so unmap it as soon as it is freed.

    Below a threshold that grows to 32 MiB, glibc serves memory from per-thread arenas and
    keeps it once freed: every thread that once decoded a large picture held on to it (one
    worker, 8 threads, 8 bombs: 1.3 GiB). Pictures' pixels are the only large allocations.
    Elsewhere than glibc (musl maps large allocations anyway) this does nothing.
    """
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(ctypes.util.find_library("c")).mallopt(M_MMAP_THRESHOLD, 1 << 20)


class ImageRejected(Exception):
    """A file that will not become a picture; `status`, `code` and `detail` say why."""

    def __init__(self, status, code, detail):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """A re-encoded picture: `large` for the lightbox, `thumbnail` for the feed."""

    content_type: str  # one of media.EXTENSIONS
    large: Rendition
    thumbnail: Rendition
    decoded: tuple[int, int]  # the size the decoder produced: what decoding held in memory


def _unsupported():
    return ImageRejected(
        415,
        "unsupported_image",
        "This file is not a picture we accept: send a JPEG, PNG, GIF or WebP.",
    )


def _too_large(width=None, height=None):
    size = f" ({width:,} × {height:,} px)" if width else ""
    return ImageRejected(
        422,
        "image_too_large",
        f"This picture is too large{size}: at most {MAX_PIXELS // 1_000_000} "
        f"megapixels and {MAX_SIDE:,} px a side.",
    )


def _check_size(width, height):
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise _too_large(width, height)


def _webp_header_size(data):
    """(width, height) from a WebP header, or None: read before Pillow allocates a canvas."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or len(data) < 30:
        return None
    chunk = data[12:16]
    if chunk == b"VP8X":
        return (
            int.from_bytes(data[24:27], "little") + 1,
            int.from_bytes(data[27:30], "little") + 1,
        )
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        return (
            int.from_bytes(data[26:28], "little") & 0x3FFF,
            int.from_bytes(data[28:30], "little") & 0x3FFF,
        )
    return None


def _gif_frame_count(data, limit):
    """Count a GIF's frames by walking its blocks, stopping once past `limit`."""
    position = 13
    if data[10] & 0x80:  # global colour table
        position += 3 << ((data[10] & 0x07) + 1)
    frames = 0
    while position < len(data) and frames <= limit:
        block = data[position]
        if block == 0x3B:  # trailer
            break
        if block == 0x2C:  # image descriptor, optional local colour table, LZW code size
            frames += 1
            packed = data[position + 9] if position + 9 < len(data) else 0
            position += 10 + ((3 << ((packed & 0x07) + 1)) if packed & 0x80 else 0) + 1
        elif block == 0x21:  # extension: label, then data sub-blocks
            position += 2
        else:
            break
        while position < len(data) and data[position]:  # data sub-blocks
            position += data[position] + 1
        position += 1
    return frames


def _frame_count(image, data):
    if image.format == "GIF":
        return _gif_frame_count(data, MAX_FRAMES)
    return getattr(image, "n_frames", 1)  # PNG (acTL) and WebP declare it in the header


def _fit(size, side):
    """The size that fits `size` in a square of `side`, never enlarged."""
    width, height = size
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _has_alpha(image):
    return image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in image.info


def _to_srgb(image, alpha):
    """RGB or RGBA pixels in sRGB; an embedded ICC profile is applied, then dropped."""
    mode = "RGBA" if alpha else "RGB"
    icc = image.info.get("icc_profile")
    if image.mode not in {"RGB", "RGBA", "CMYK", "L"}:
        image = image.convert(mode)
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken or mismatched profile: keep the pixels as they are
    return image.convert(mode) if image.mode != mode else image


# Resampling averages pixel values: palette indices and these modes must become colours first.
_RESAMPLABLE = {"L", "LA", "RGB", "RGBA", "CMYK", "I", "F"}
_STRIP_ROWS = 64  # output rows reduced at a time


def _reduce_in_strips(image, factor, mode):
    """`image` reduced `factor` times, strip by strip, converted to `mode` on the way.

    Image.reduce (and convert) would copy the whole picture first (RGBA is premultiplied,
    a palette expanded): for a 36 MP picture another 144 MiB. Strips need only their own.
    """
    width, height = image.size
    reduced = Image.new(mode, (-(-width // factor), -(-height // factor)))
    reduced.info = {
        k: v for k, v in image.info.items() if mode == image.mode or k != "transparency"
    }
    step = _STRIP_ROWS * factor
    for top in range(0, height, step):
        strip = image.crop((0, top, width, min(height, top + step)))
        reduced.paste(
            (strip if strip.mode == mode else strip.convert(mode)).reduce(factor),
            (0, top // factor),
        )
    return reduced


def _shrink(image, alpha):
    """`image` at most LARGE_SIDE a side, in a mode that resamples, the decoded pixels freed.

    PNG, GIF and WebP decode at full size (only JPEG decodes smaller): a whole-factor reduce
    comes first, strip by strip, so the full-size pixels exist once, for that one step, and
    every conversion after it works on the small picture.
    """
    mode = image.mode if image.mode in _RESAMPLABLE else ("RGBA" if alpha else "RGB")
    if (factor := max(image.size) // LARGE_SIDE) >= 2:
        shrunk = _reduce_in_strips(image, factor, mode)
        image.close()  # the decoded pixels: the largest allocation of all
    else:
        shrunk = image.convert(mode) if image.mode != mode else image
    if max(shrunk.size) > LARGE_SIDE:
        shrunk = shrunk.resize(
            _fit(shrunk.size, LARGE_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
    return shrunk


def _decode(image):
    """The first frame, upright, in sRGB, at most LARGE_SIDE a side; and the size it decoded at."""
    if image.format in {"JPEG", "MPO"}:
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale for free: a 12 MP photo never needs full size.
        image.draft(None, _fit(image.size, LARGE_SIDE))
    image.load()
    decoded = image.size
    alpha = _has_alpha(image)
    image = _shrink(image, alpha)
    # Unreadable EXIF: the orientation is unknown, so the pixels stay as stored.
    with contextlib.suppress(ValueError, TypeError, KeyError, OSError, SyntaxError):
        image = ImageOps.exif_transpose(image)
    image = _to_srgb(image, alpha)
    if alpha and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")  # an alpha channel with nothing transparent in it
    image.info = {}  # nothing of the original's metadata may reach an encoder
    return image, decoded


def _encode(image):
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return Rendition(buffer.getvalue(), *image.size)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_png_trailer(data):
    """Refuse a PNG that carries another file after its IEND chunk (a polyglot).

    Re-encoding would drop it anyway; refusing says plainly that the file is not what it
    seems. (JPEG trailers are common, e.g. phones' motion photos: those are dropped.)
    """
    if not data.startswith(PNG_SIGNATURE):
        return
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            if data[position:].strip(b"\x00\t\n\r "):
                raise ImageRejected(
                    422,
                    "hidden_data",
                    "This PNG carries other data after the picture. Save the "
                    "picture again (or take a screenshot) and retry.",
                )
            return


def process_image(data):
    """Turn uploaded bytes into a Picture, or raise ImageRejected."""
    if not data:
        raise ImageRejected(422, "empty_file", "The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImageRejected(
            413, "file_too_large", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MiB."
        )
    _check_png_trailer(data)
    if size := _webp_header_size(data):
        _check_size(*size)
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            _check_size(*image.size)
            if _frame_count(image, data) > MAX_FRAMES:
                raise ImageRejected(
                    422, "too_many_frames", f"This animation has more than {MAX_FRAMES} frames."
                )
            large, decoded = _decode(image)
    except ImageRejected:
        raise
    except Image.UnidentifiedImageError:
        raise _unsupported() from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except Exception as error:  # noqa: BLE001 - Pillow's plugins raise many types on bad input
        raise ImageRejected(
            422, "image_unreadable", "This picture is damaged or incomplete and cannot be read."
        ) from error
    thumbnail = (
        large.resize(_fit(large.size, THUMBNAIL_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
        if max(large.size) > THUMBNAIL_SIDE
        else large
    )
    alpha = large.mode == "RGBA"
    return Picture(
        content_type="image/webp" if alpha else "image/jpeg",
        large=_encode(large),
        thumbnail=_encode(thumbnail),
        decoded=decoded,
    )
