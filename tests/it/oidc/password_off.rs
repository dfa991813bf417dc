//! Password login turned off (filled in below).
