/* eval_geom.h — where a box on the page the pipeline read lies on the truth's page. The
 * pipeline reads the page lr_enhance_page made: the decoded page turned upright by the
 * orientation it detected and deskewed by the skew it measured. landrec-synth's boxes are in
 * pixels of the upright page before skew and orientation were applied (docs/synthetic.md).
 * The two frames differ by whatever the pipeline got wrong (orientation) or only nearly right
 * (skew); both transforms are known exactly, so a box is carried from one to the other
 * through the decoded page. Not public: for the evaluation and its tests.
 */
#ifndef LANDREC_EVAL_GEOM_H
#define LANDREC_EVAL_GEOM_H

#include "landrec/metrics.h"

typedef struct eval_frame {
    int stored_w, stored_h; /* the page as decoded, before any turn */
    int found_orient;       /* clockwise degrees lr_enhance_page turned it (0/90/180/270) */
    double deskew_deg;      /* degrees it then turned it clockwise to deskew it: skew_deg when
                               skew_applied, else 0 */
    int true_orient;        /* truth: clockwise degrees that turn the stored page upright */
    double true_skew;       /* truth: degrees its content was turned counter-clockwise */
} eval_frame;

/* Moves b's box (text untouched) from the enhanced page's pixels into the truth's: its centre
 * is carried exactly (undo the deskew, undo the detected turn, apply the true turn, undo the
 * true skew; rotation centres as lr_enhance_page and landrec-synth take them); its width and
 * height are kept, swapped when the two orientations differ by a quarter turn. The box stays
 * axis-parallel: it is not turned by what is left of the skew (true skew − deskew). */
void eval_map_box(const eval_frame *f, lr_text_box *b);

#endif
