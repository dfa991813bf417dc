//! Uploaded pictures made ready to serve: custom emoji and stickers. Decoding is bounded before it starts
//! (dimensions from the header, an allocation limit, a frame and pixel budget), so a "PNG" that is not one, a
//! decompression bomb or a 10,000 × 10,000 GIF is refused without being unpacked. Animation is kept: an animated
//! GIF, WebP or APNG comes out as a GIF; a still one as a PNG. Synchronous: callers run it on a blocking thread.

use std::io::Cursor;

use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::codecs::png::PngDecoder;
use image::codecs::webp::WebPDecoder;
use image::imageops::FilterType;
use image::{AnimationDecoder, DynamicImage, Frame, ImageDecoder, ImageFormat, Limits, RgbaImage};

/// The widest or tallest picture decoded at all.
const MAX_SIDE: u32 = 4096;
/// Most memory one decode may take.
const MAX_ALLOC: u64 = 64 * 1024 * 1024;
/// Most frames kept from an animation.
const MAX_FRAMES: usize = 300;
/// Most pixels decoded across an animation's frames.
const MAX_PIXELS: u64 = 40_000_000;

/// Why a picture was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    /// Not a PNG, JPEG, GIF or WebP, whatever its name says.
    #[error("the file is not a PNG, JPEG, GIF or WebP image")]
    NotAnImage,
    /// Too many pixels or frames to decode safely.
    #[error("the image is too large to process ({0})")]
    TooLarge(String),
    /// It claims a format but does not decode.
    #[error("the image is damaged: {0}")]
    Damaged(String),
}

/// A picture ready to serve.
#[derive(Debug, Clone)]
pub struct Picture {
    /// PNG or GIF bytes.
    pub bytes: Vec<u8>,
    /// A GIF that moves.
    pub animated: bool,
}

/// Decodes `bytes` within the limits and fits it in `side` × `side` pixels (never enlarging).
pub fn fit(bytes: &[u8], side: u32) -> Result<Picture, PictureError> {
    let (ext, _) = super::image_kind(bytes).ok_or(PictureError::NotAnImage)?;
    let size = imagesize::blob_size(bytes).map_err(|_| PictureError::NotAnImage)?;
    if size.width == 0 || size.height == 0 {
        return Err(PictureError::Damaged("it has no pixels".into()));
    }
    if size.width as u64 > MAX_SIDE as u64 || size.height as u64 > MAX_SIDE as u64 {
        return Err(PictureError::TooLarge(format!(
            "{} × {} pixels",
            size.width, size.height
        )));
    }
    let pixels = size.width as u64 * size.height as u64;
    let frames = match ext {
        "gif" => {
            let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(damaged)?;
            decoder.set_limits(limits()).map_err(damaged)?;
            frames(decoder, pixels)?
        }
        "webp" => {
            let mut decoder = WebPDecoder::new(Cursor::new(bytes)).map_err(damaged)?;
            if decoder.has_animation() {
                decoder.set_limits(limits()).map_err(damaged)?;
                frames(decoder, pixels)?
            } else {
                still(bytes, ImageFormat::WebP)?
            }
        }
        "png" => {
            let mut decoder = PngDecoder::new(Cursor::new(bytes)).map_err(damaged)?;
            if decoder.is_apng().map_err(damaged)? {
                decoder.set_limits(limits()).map_err(damaged)?;
                frames(decoder.apng().map_err(damaged)?, pixels)?
            } else {
                still(bytes, ImageFormat::Png)?
            }
        }
        _ => still(bytes, ImageFormat::Jpeg)?,
    };
    encode(frames, side)
}

fn damaged(e: image::ImageError) -> PictureError {
    match e {
        image::ImageError::Limits(l) => PictureError::TooLarge(l.to_string()),
        other => PictureError::Damaged(other.to_string()),
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

/// A still picture as one frame.
fn still(bytes: &[u8], format: ImageFormat) -> Result<Vec<Frame>, PictureError> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let image = reader.decode().map_err(damaged)?;
    Ok(vec![Frame::new(image.into_rgba8())])
}

/// An animation's frames (of `per_frame` pixels each), within the frame and pixel budget.
fn frames<'a>(decoder: impl AnimationDecoder<'a>, per_frame: u64) -> Result<Vec<Frame>, PictureError> {
    let mut out = Vec::new();
    for frame in decoder.into_frames() {
        let frame = frame.map_err(damaged)?;
        out.push(frame);
        if out.len() > MAX_FRAMES || per_frame * out.len() as u64 > MAX_PIXELS {
            return Err(PictureError::TooLarge(format!("more than {} frames", out.len() - 1)));
        }
    }
    if out.is_empty() {
        return Err(PictureError::Damaged("it has no frames".into()));
    }
    Ok(out)
}

/// The frames fitted in `side`, as a PNG (one frame) or a looping GIF.
fn encode(frames: Vec<Frame>, side: u32) -> Result<Picture, PictureError> {
    let shrink = |image: &RgbaImage| -> RgbaImage {
        let (w, h) = image.dimensions();
        if w <= side && h <= side {
            return image.clone();
        }
        let scale = f64::from(side) / f64::from(w.max(h));
        let nw = ((f64::from(w) * scale).round() as u32).max(1);
        let nh = ((f64::from(h) * scale).round() as u32).max(1);
        image::imageops::resize(image, nw, nh, FilterType::Triangle)
    };
    let mut bytes = Vec::new();
    if frames.len() == 1 {
        let image = shrink(frames[0].buffer());
        DynamicImage::ImageRgba8(image)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .map_err(|e| PictureError::Damaged(e.to_string()))?;
        return Ok(Picture { bytes, animated: false });
    }
    let resized: Vec<Frame> = frames
        .iter()
        .map(|f| Frame::from_parts(shrink(f.buffer()), 0, 0, f.delay()))
        .collect();
    {
        let mut encoder = GifEncoder::new_with_speed(&mut bytes, 10);
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(|e| PictureError::Damaged(e.to_string()))?;
        encoder
            .encode_frames(resized)
            .map_err(|e| PictureError::Damaged(e.to_string()))?;
    }
    Ok(Picture { bytes, animated: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(RgbaImage::from_pixel(w, h, image::Rgba([200, 10, 10, 255])))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    fn gif(w: u32, h: u32, n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = GifEncoder::new(&mut out);
            encoder.set_repeat(Repeat::Infinite).unwrap();
            let frames = (0..n).map(|i| {
                let shade = (i * 60 % 255) as u8;
                Frame::from_parts(
                    RgbaImage::from_pixel(w, h, image::Rgba([shade, 0, 255 - shade, 255])),
                    0,
                    0,
                    image::Delay::from_numer_denom_ms(100, 1),
                )
            });
            encoder.encode_frames(frames).unwrap();
        }
        out
    }

    #[test]
    fn a_still_picture_is_fitted_as_png() {
        let picture = fit(&png(512, 256), 128).unwrap();
        assert!(!picture.animated);
        assert_eq!(image::load_from_memory(&picture.bytes).unwrap().width(), 128);
        assert_eq!(image::load_from_memory(&picture.bytes).unwrap().height(), 64);
        assert_eq!(super::super::image_kind(&picture.bytes).unwrap().0, "png");
        // Small pictures are not enlarged.
        let small = fit(&png(32, 32), 128).unwrap();
        assert_eq!(image::load_from_memory(&small.bytes).unwrap().width(), 32);
    }

    #[test]
    fn animation_is_kept() {
        let picture = fit(&gif(300, 300, 4), 128).unwrap();
        assert!(picture.animated);
        assert_eq!(image::load_from_memory(&picture.bytes).unwrap().width(), 128);
        let decoded = GifDecoder::new(Cursor::new(&picture.bytes))
            .unwrap()
            .into_frames()
            .count();
        assert_eq!(decoded, 4);
        // One frame is a still picture.
        assert!(!fit(&gif(64, 64, 1), 128).unwrap().animated);
    }

    #[test]
    fn hostile_pictures_are_refused_before_decoding() {
        assert_eq!(
            fit(b"not an image at all, just text", 128).unwrap_err(),
            PictureError::NotAnImage
        );
        // A header claiming 10,000 × 10,000 pixels.
        let mut big = b"GIF89a".to_vec();
        big.extend_from_slice(&10_000u16.to_le_bytes());
        big.extend_from_slice(&10_000u16.to_le_bytes());
        big.extend_from_slice(&[0, 0, 0, 0x3b]);
        assert!(matches!(fit(&big, 128), Err(PictureError::TooLarge(_))));
        // A PNG cut short.
        let cut = png(64, 64);
        assert!(matches!(fit(&cut[..cut.len() / 2], 128), Err(PictureError::Damaged(_))));
        // Too many frames.
        assert!(matches!(
            fit(&gif(8, 8, MAX_FRAMES + 5), 128),
            Err(PictureError::TooLarge(_))
        ));
    }
}
