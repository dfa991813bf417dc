//! What an uploaded image really is, judged by its bytes (with `imagesize`), never by its name or label, and
//! pictures made ready to serve ([`prepare`]). A leaf: it imports no domain module.

pub mod prepare;

pub use prepare::{PictureError, fit};

/// Largest avatar image, in bytes.
pub const MAX_AVATAR_BYTES: usize = 512 * 1024;

/// The extension and MIME type of a PNG, JPEG, GIF or WebP image, by its bytes; `None` for anything else
/// (other image formats included: spot serves only what every browser shows).
pub fn image_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    use imagesize::ImageType;
    match imagesize::image_type(bytes).ok()? {
        ImageType::Png => Some(("png", "image/png")),
        ImageType::Jpeg => Some(("jpg", "image/jpeg")),
        ImageType::Gif => Some(("gif", "image/gif")),
        ImageType::Webp => Some(("webp", "image/webp")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(("png", "image/png")));
        assert_eq!(
            image_kind(b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0"),
            Some(("jpg", "image/jpeg"))
        );
        assert_eq!(
            image_kind(b"GIF89a\x01\x00\x01\x00\x80\0\0\0"),
            Some(("gif", "image/gif"))
        );
        assert_eq!(image_kind(b"RIFF\x1a\0\0\0WEBPVP8 "), Some(("webp", "image/webp")));
        assert_eq!(image_kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(image_kind(b"PNG"), None);
        // Too short to be any image (imagesize reads at least 12 bytes).
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(image_kind(b""), None);
    }
}
