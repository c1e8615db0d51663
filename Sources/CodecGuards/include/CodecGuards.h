#ifndef CODEC_GUARDS_H
#define CODEC_GUARDS_H
// setjmp guards around libpng and libjpeg (filled in by the codec work).
int cg_placeholder(void);
#endif
